package dev.tally.cli;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * Invokes a typed handler ({@code RequestHandler<APIGatewayV2HTTPEvent, …>}) in {@link ColdInvoke}'s JVM the way
 * the Lambda runtime does for the library's event classes: the event JSON bound to the handler's input type by
 * its properties (names as in the JSON, case-insensitively, unknown ones ignored), the output written as JSON.
 * Jackson is in every function's jar; the runtime's own serializer is not.
 */
final class TypedInvoke {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private TypedInvoke() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static byte[] invoke(RequestHandler<?, ?> handler, byte[] event) throws IOException {
        Object input = JSON.readValue(event, inputType(handler.getClass()));
        Object output = ((RequestHandler) handler).handleRequest(input, null);
        return JSON.writeValueAsBytes(output);
    }

    private static JavaType inputType(Class<?> type) {
        for (Type implemented : type.getGenericInterfaces()) {
            if (implemented instanceof ParameterizedType parameterized
                    && parameterized.getRawType() == RequestHandler.class) {
                return JSON.getTypeFactory().constructType(parameterized.getActualTypeArguments()[0]);
            }
        }
        throw new IllegalArgumentException(type.getName() + " does not implement RequestHandler<I, O> directly");
    }
}
