package ai.treqs.roar.collector.dashboard;

import java.util.List;

import ai.treqs.roar.collector.dashboard.Panel.Cell;

/** What the view template shows: the window form, the links to the views, the headline, the panels. */
public record Page(String title, String path, List<Link> views, List<Option> days, String from, String to,
                   List<Option> versions, String scope, Cell installsSeen, int k, String headline,
                   String headlinePath, List<Panel> panels, String query) {
    /** A link to a view, {@code current} for the one shown. */
    public record Link(String href, String title, boolean current) {}

    /** A choice of a select. */
    public record Option(String value, String label, boolean selected) {}
}
