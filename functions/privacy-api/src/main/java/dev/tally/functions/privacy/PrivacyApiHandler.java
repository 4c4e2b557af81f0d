package dev.tally.functions.privacy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.tally.runtime.Invocations;

/** The privacy HTTP API behind API Gateway (HTTP API, payload 2.0, IAM and JWT authorizers). */
public final class PrivacyApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final PrivacyApi api;

    public PrivacyApiHandler() {
        this(PrivacyDependencies.get().api());
    }

    PrivacyApiHandler(PrivacyApi api) {
        this.api = api;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return Invocations.logged(context, () -> api.handle(event));
    }
}
