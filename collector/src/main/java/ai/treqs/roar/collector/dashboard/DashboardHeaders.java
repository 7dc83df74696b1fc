package ai.treqs.roar.collector.dashboard;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * The dashboard's response headers: a strict Content-Security-Policy (only this collector's stylesheet; no script,
 * no inline style, no frame, forms post only here), no caching, no referrer, no MIME sniffing.
 */
@Provider
public class DashboardHeaders implements ContainerResponseFilter {
    public static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (!path.equals("/dashboard") && !path.startsWith("/dashboard/")) {
            return;
        }
        response.getHeaders().putSingle("Content-Security-Policy", CSP);
        response.getHeaders().putSingle("X-Content-Type-Options", "nosniff");
        response.getHeaders().putSingle("Referrer-Policy", "no-referrer");
        response.getHeaders().putSingle("X-Frame-Options", "DENY");
        response.getHeaders().putSingle("Cache-Control", "no-store");
    }
}
