package dev.tally.infra.privacy;

import dev.tally.functions.privacy.PrivacyRoutes;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.apigateway.AccessLogField;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.HttpStageOptions;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

import java.util.List;

/**
 * One HTTP API in front of the privacy API function: every route of {@link PrivacyRoutes} (nothing else reaches
 * the function) behind one authorizer, the {@code $default} stage throttled and access-logged to a log group of its
 * own. The log's fields are the gateway's (request id, time, route key, status, latency, an IAM caller's principal,
 * the gateway's error); nothing that can name a data subject: no body, no query string, no path (a suppression
 * check's path holds an email), no JWT {@code sub} (an end user's is their user id), no source IP.
 */
final class PrivacyHttpApi extends Construct {
    private final HttpApi api;
    private final HttpStage stage;
    private final LogGroup accessLogs;

    record Settings(String description, IHttpRouteAuthorizer authorizer, int rateLimit, int burstLimit,
                    RetentionDays logRetention) {
    }

    PrivacyHttpApi(Construct scope, String id, IFunction function, Settings settings) {
        super(scope, id);
        api = HttpApi.Builder.create(this, "Api")
                .description(settings.description())
                .createDefaultStage(false)
                .build();
        HttpLambdaIntegration integration = new HttpLambdaIntegration("PrivacyApiFunction", function);
        for (PrivacyRoutes.Route route : PrivacyRoutes.ALL) {
            api.addRoutes(AddRoutesOptions.builder()
                    .path(route.path())
                    .methods(List.of(HttpMethod.valueOf(route.method())))
                    .integration(integration)
                    .authorizer(settings.authorizer())
                    .build());
        }
        accessLogs = LogGroup.Builder.create(this, "AccessLogs")
                .retention(settings.logRetention())
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        IAccessLogDestination destination = new LogGroupLogDestination(accessLogs);
        stage = api.addStage("DefaultStage", HttpStageOptions.builder()
                .stageName("$default")
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder()
                        .rateLimit(settings.rateLimit())
                        .burstLimit(settings.burstLimit())
                        .build())
                .accessLogSettings(new IAccessLogSettings() {
                    @Override
                    public IAccessLogDestination getDestination() {
                        return destination;
                    }

                    @Override
                    public AccessLogFormat getFormat() {
                        return accessLogFormat();
                    }
                })
                .build());
    }

    /** JSON lines with the gateway's own fields (see the class). */
    static AccessLogFormat accessLogFormat() {
        return AccessLogFormat.custom("{\"requestId\":\"" + AccessLogField.contextRequestId() + "\","
                + "\"requestTime\":\"" + AccessLogField.contextRequestTime() + "\","
                + "\"routeKey\":\"$context.routeKey\","
                + "\"status\":\"" + AccessLogField.contextStatus() + "\","
                + "\"responseLength\":\"" + AccessLogField.contextResponseLength() + "\","
                + "\"integrationLatency\":\"$context.integrationLatency\","
                + "\"principal\":\"$context.identity.userArn\","
                + "\"error\":\"$context.error.message\"}");
    }

    HttpApi api() {
        return api;
    }

    HttpStage stage() {
        return stage;
    }

    LogGroup accessLogs() {
        return accessLogs;
    }
}
