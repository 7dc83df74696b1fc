package floor;

import java.util.List;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The commands roar's launcher and benchmark call, answering without doing anything. */
@TopCommand
@Command(name = "roar", mixinStandardHelpOptions = true, version = "floor",
        subcommands = {FloorCommand.Run.class, FloorCommand.Telemetry.class, UploadCeiling.class})
public class FloorCommand {

    /** What the launcher's cache training runs: {@code run --allow-dirty -- true}. */
    @Command(name = "run")
    static class Run implements Runnable {
        @Option(names = "--allow-dirty") boolean allowDirty;
        @Parameters List<String> command;

        @Override
        public void run() {
        }
    }

    /** What the benchmark measures: {@code telemetry --status}, one line. */
    @Command(name = "telemetry")
    static class Telemetry implements Runnable {
        @Option(names = "--status") boolean status;

        @Override
        public void run() {
            System.out.println("Telemetry: floor");
        }
    }
}
