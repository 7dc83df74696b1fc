package ai.treqs.roar.collector.ingest;

import ai.treqs.roar.collector.store.Event;

/** What the router made of a request body: an event to store, or the problem that refuses it. */
public sealed interface Verdict {
    record Accepted(Event event) implements Verdict {}

    record Refused(Problem problem) implements Verdict {}
}
