package floor;

import picocli.CommandLine.Command;

/** The floor without the REST client has no upload ceiling to measure (the full floor's is in src/rest-client). */
@Command(name = "upload-ceiling", hidden = true)
class UploadCeiling implements Runnable {
    @Override
    public void run() {
        System.out.println("upload-ceiling: this floor has no REST client");
    }
}
