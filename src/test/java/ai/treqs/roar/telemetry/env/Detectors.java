package ai.treqs.roar.telemetry.env;

import java.lang.annotation.Annotation;
import java.util.Iterator;
import java.util.List;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.util.TypeLiteral;

/** The registered {@link BackendJobDetector} beans, as a plain list: all {@link SuppressionDetector} does is iterate. */
public final class Detectors implements Instance<BackendJobDetector> {
    private final List<BackendJobDetector> detectors;

    private Detectors(List<BackendJobDetector> detectors) {
        this.detectors = detectors;
    }

    public static Instance<BackendJobDetector> of(BackendJobDetector... detectors) {
        return new Detectors(List.of(detectors));
    }

    @Override public Iterator<BackendJobDetector> iterator() { return detectors.iterator(); }
    @Override public boolean isUnsatisfied() { return detectors.isEmpty(); }
    @Override public boolean isAmbiguous() { return detectors.size() > 1; }
    @Override public BackendJobDetector get() { return detectors.get(0); }
    @Override public void destroy(BackendJobDetector instance) { }

    @Override public Instance<BackendJobDetector> select(Annotation... qualifiers) { throw unsupported(); }
    @Override public <U extends BackendJobDetector> Instance<U> select(Class<U> type, Annotation... q) { throw unsupported(); }
    @Override public <U extends BackendJobDetector> Instance<U> select(TypeLiteral<U> type, Annotation... q) { throw unsupported(); }
    @Override public Handle<BackendJobDetector> getHandle() { throw unsupported(); }
    @Override public Iterable<? extends Handle<BackendJobDetector>> handles() { throw unsupported(); }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("not used by SuppressionDetector");
    }
}
