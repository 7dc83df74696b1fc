package ai.treqs.roar.collector.dashboard;

import java.util.Arrays;
import java.util.Optional;

/** The dashboard's views: each its own page under {@code /dashboard}, over the same window form. */
public enum View {
    FUNNEL("funnel", "Funnel"),
    ADOPTION("adoption", "Adoption"),
    OUTCOMES("outcomes", "Run outcomes and tracers"),
    PLATFORMS("platforms", "Platforms and capabilities");

    private final String slug;
    private final String title;

    View(String slug, String title) {
        this.slug = slug;
        this.title = title;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    /** The page's path: the funnel is {@code /dashboard} itself. */
    public String path() {
        return this == FUNNEL ? "/dashboard" : "/dashboard/" + slug;
    }

    public static Optional<View> of(String slug) {
        return Arrays.stream(values()).filter(v -> v.slug.equals(slug)).findFirst();
    }
}
