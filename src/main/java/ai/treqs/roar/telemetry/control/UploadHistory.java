package ai.treqs.roar.telemetry.control;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import ai.treqs.roar.telemetry.config.ConfigLoader;
import ai.treqs.roar.telemetry.upload.Ledger;

/** {@code --history}: what was actually sent, newest first; cli/HistoryReport lays it out (docs/proxies-and-ledger.md#what-was-sent-the-upload-ledger). */
@ApplicationScoped
public class UploadHistory {

    @Inject ConfigLoader configLoader;

    /** The ledger's lines as stored, newest first. */
    public List<String> newestFirst() {
        List<String> lines = new ArrayList<>(Ledger.readLines(configLoader.paths().ledger()));
        Collections.reverse(lines);
        return lines;
    }
}
