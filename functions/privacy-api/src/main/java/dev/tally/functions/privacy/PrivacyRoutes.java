package dev.tally.functions.privacy;

import java.util.List;

/**
 * The routes {@link PrivacyApi} answers, as API Gateway's route keys take them ({@code METHOD /path/{param}}): the
 * CDK app declares exactly these on the HTTP APIs, and {@code PrivacyRoutesTest} holds the handler to them.
 */
public final class PrivacyRoutes {
    /** One route: its method and its path template. */
    public record Route(String method, String path) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    public static final List<Route> ALL = List.of(
            new Route("POST", "/privacy-requests"),
            new Route("GET", "/privacy-requests/{id}"),
            new Route("DELETE", "/privacy-requests/{id}"),
            new Route("POST", "/privacy-requests/{id}/confirm"),
            new Route("POST", "/privacy-requests/{id}/retry"),
            new Route("GET", "/suppressions/{subject_type}/{subject_id}"),
            new Route("GET", "/opendsr/v1/discovery"),
            new Route("POST", "/opendsr/v1/requests"),
            new Route("GET", "/opendsr/v1/requests/{id}"),
            new Route("DELETE", "/opendsr/v1/requests/{id}"));

    private PrivacyRoutes() {
    }
}
