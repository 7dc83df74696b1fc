package ai.treqs.roar.collector.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import ai.treqs.roar.collector.CollectorConfig;
import ai.treqs.roar.collector.dashboard.Page.Link;
import ai.treqs.roar.collector.dashboard.Page.Option;
import ai.treqs.roar.collector.summary.Summary;
import ai.treqs.roar.collector.summary.SummaryFigures;

/**
 * {@code /dashboard}: the summary's figures as web pages, signed in with the read token (docs/collector.md). It
 * asks {@link SummaryFigures} for every number, so each equals the summary JSON's for the same window.
 */
@Path("/dashboard")
public class DashboardResource {
    static final MediaType HTML = MediaType.valueOf("text/html; charset=utf-8");
    private static final Clock CLOCK = Clock.systemUTC();

    @Inject CollectorConfig config;
    @Inject SummaryFigures figures;

    @CheckedTemplate(basePath = "dashboard")
    static class Templates {
        static native TemplateInstance view(Page page);

        static native TemplateInstance login(String next, String error);

        static native TemplateInstance problem(String title, String message);
    }

    @GET
    public Response funnel(@CookieParam(Session.COOKIE) String cookie, @Context UriInfo uri, @QueryParam("days") String days,
                           @QueryParam("from") String from, @QueryParam("to") String to,
                           @QueryParam("version") String version) {
        return view(View.FUNNEL, cookie, uri, days, from, to, version);
    }

    @GET
    @Path("{view: adoption|outcomes|platforms}")
    public Response other(@PathParam("view") String slug, @CookieParam(Session.COOKIE) String cookie,
                          @Context UriInfo uri, @QueryParam("days") String days, @QueryParam("from") String from,
                          @QueryParam("to") String to, @QueryParam("version") String version) {
        return view(View.of(slug).orElseThrow(), cookie, uri, days, from, to, version);
    }

    @GET
    @Path("{name: [a-z]+}.csv")
    public Response csv(@PathParam("name") String name, @CookieParam(Session.COOKIE) String cookie, @Context UriInfo uri,
                        @QueryParam("days") String days, @QueryParam("from") String from, @QueryParam("to") String to,
                        @QueryParam("version") String version) {
        return reading(cookie, uri, days, from, to, version, (window, summary) -> {
            for (View view : View.values()) {
                for (Panel panel : Views.panels(view, summary)) {
                    if (panel.id().equals(name)) {
                        return Response.ok(Csv.of(panel), "text/csv; charset=utf-8")
                                .header("Content-Disposition", "attachment; filename=\"roar-" + name + "-"
                                        + window.window().from() + "-" + window.window().to() + ".csv\"").build();
                    }
                }
            }
            return problem(404, "Not found", "There is no " + name + ".csv.");
        });
    }

    @GET
    @Path("dashboard.css")
    public Response css() throws IOException {
        if (session().isEmpty()) {
            return Response.status(404).build();
        }
        try (InputStream in = DashboardResource.class.getResourceAsStream("/dashboard/dashboard.css")) {
            return Response.ok(in.readAllBytes(), "text/css; charset=utf-8").build();
        }
    }

    @GET
    @Path("login")
    public Response loginForm(@QueryParam("next") String next) {
        if (session().isEmpty()) {
            return notFound();
        }
        return html(200, Templates.login(safeNext(next), null));
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response login(@FormParam("token") String token, @FormParam("next") String next, @Context UriInfo uri) {
        Optional<Session> session = session();
        if (session.isEmpty()) {
            return notFound();
        }
        if (!session.get().tokenMatches(token)) {
            return html(401, Templates.login(safeNext(next), "That is not the read token."));
        }
        NewCookie cookie = new NewCookie.Builder(Session.COOKIE).value(session.get().issue(CLOCK.instant(),
                        config.dashboardSession())).path("/dashboard").httpOnly(true).secure(secure(uri))
                .sameSite(NewCookie.SameSite.STRICT).maxAge((int) config.dashboardSession().toSeconds()).build();
        return Response.seeOther(URI.create(safeNext(next))).cookie(cookie).build();
    }

    @POST
    @Path("logout")
    public Response logout(@Context UriInfo uri) {
        if (session().isEmpty()) {
            return notFound();
        }
        NewCookie gone = new NewCookie.Builder(Session.COOKIE).value("").path("/dashboard").httpOnly(true)
                .secure(secure(uri)).sameSite(NewCookie.SameSite.STRICT).maxAge(0).build();
        return Response.seeOther(URI.create("/dashboard/login")).cookie(gone).build();
    }

    private Response view(View view, String cookie, UriInfo uri, String days, String from, String to, String version) {
        return reading(cookie, uri, days, from, to, version, (window, summary) ->
                html(200, Templates.view(page(view, window, summary, figures.versions(window.window())))));
    }

    /** What a page or a CSV answers once the reader is signed in and the window is good. */
    private interface Reading {
        Response answer(WindowForm.Accepted window, Summary summary) throws SQLException;
    }

    /** The sign-in, then the window from the query, then the summary of that window: every view and CSV reads so. */
    private Response reading(String cookie, UriInfo uri, String days, String from, String to, String version,
                             Reading reading) {
        Optional<Response> refused = gate(cookie, uri);
        if (refused.isPresent()) {
            return refused.get();
        }
        WindowForm.Outcome outcome = WindowForm.read(days, from, to, version, today());
        if (outcome instanceof WindowForm.Refused r) {
            return problem(400, "Bad window", r.reason());
        }
        WindowForm.Accepted window = (WindowForm.Accepted) outcome;
        try {
            return reading.answer(window, figures.summary(window.window()));
        } catch (SQLException e) {
            return unavailable();
        }
    }

    private Page page(View view, WindowForm.Accepted form, Summary summary, List<Summary.Keyed> versions) {
        List<Link> links = new ArrayList<>();
        for (View v : View.values()) {
            links.add(new Link(v.path() + "?" + form.query(), v.title(), v == view));
        }
        List<Option> days = new ArrayList<>();
        for (int d : WindowForm.DAYS) {
            days.add(new Option(Integer.toString(d), d + " days", form.days().orElse(-1) == d));
        }
        List<Option> versionOptions = new ArrayList<>();
        Optional<String> chosen = form.window().version();
        versionOptions.add(new Option("", "all versions", chosen.isEmpty()));
        for (Summary.Keyed v : versions) {
            if (!v.key().equals(Summary.OTHER)) {
                versionOptions.add(new Option(v.key(), v.key(), chosen.filter(v.key()::equals).isPresent()));
            }
        }
        if (chosen.isPresent() && versionOptions.stream().noneMatch(Option::selected)) {
            versionOptions.add(new Option(chosen.get(), chosen.get(), true));
        }
        String scope = form.window().from() + " to " + form.window().to() + " (UTC), "
                + chosen.map(v -> "version " + v).orElse("all versions");
        String headline = null;
        if (view == View.FUNNEL) {
            headline = summary.funnel().mostStopBefore().orElse(null);
        }
        return new Page(view.title(), view.path(), links, days,
                form.custom() ? form.window().from().toString() : "", form.custom() ? form.window().to().toString() : "",
                versionOptions, scope, Views.count(summary.installsSeen(), "installs_seen"), summary.k(), headline,
                "funnel_most_stop_before", Views.panels(view, summary), form.query());
    }

    /** Empty when the request may see the dashboard; else 404 (no token configured) or the way to the sign-in. */
    private Optional<Response> gate(String cookie, UriInfo uri) {
        Optional<Session> session = session();
        if (session.isEmpty()) {
            return Optional.of(notFound());
        }
        if (!session.get().valid(cookie, CLOCK.instant())) {
            String here = uri.getRequestUri().getRawPath()
                    + (uri.getRequestUri().getRawQuery() == null ? "" : "?" + uri.getRequestUri().getRawQuery());
            return Optional.of(Response.seeOther(URI.create("/dashboard/login?next="
                    + java.net.URLEncoder.encode(here, java.nio.charset.StandardCharsets.UTF_8))).build());
        }
        return Optional.empty();
    }

    private Optional<Session> session() {
        return config.readToken().filter(t -> !t.isBlank()).map(Session::new);
    }

    /** Where to go after signing in: a dashboard path of this collector, never another site. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/dashboard") || next.contains("//") || next.contains("\\")
                || next.chars().anyMatch(ch -> ch < 0x21 || ch > 0x7e)) {
            return "/dashboard";
        }
        return next;
    }

    private boolean secure(UriInfo uri) {
        return config.secureCookie() || "https".equalsIgnoreCase(uri.getRequestUri().getScheme());
    }

    private static LocalDate today() {
        return LocalDate.now(CLOCK);
    }

    private static Response html(int status, TemplateInstance page) {
        return Response.status(status).type(HTML).entity(page.render()).build();
    }

    private static Response problem(int status, String title, String message) {
        return html(status, Templates.problem(title, message));
    }

    private Response unavailable() {
        return Response.fromResponse(problem(503, "Unavailable", "The database is unavailable; try again shortly."))
                .header(HttpHeaders.RETRY_AFTER, config.retryAfterSeconds()).build();
    }

    private static Response notFound() {
        return Response.status(404).type(MediaType.TEXT_PLAIN_TYPE).entity("Not Found").build();
    }
}
