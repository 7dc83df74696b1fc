package ai.treqs.roar.collector.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A validated event as stored: the columns the summary reads, and the event itself as JSON text. */
public record Event(String eventId, UUID installId, String trigger, OffsetDateTime triggerTs, long sequence,
                    String version, String os, String arch, Instant receivedAt, String payload) {}
