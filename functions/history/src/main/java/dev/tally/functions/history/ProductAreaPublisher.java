package dev.tally.functions.history;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.allocation.ProductAreaMap;
import dev.tally.allocation.ProductAreaStore;
import dev.tally.aws.dynamodb.DynamoDbProductAreaStore;
import dev.tally.rollup.ProductAreaFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Publishes the repository's service → product area map into DynamoDB at deploy time. It is the
 * {@code onEvent} handler of a CloudFormation custom resource (CDK provider framework) whose
 * {@code Areas} property holds the map file's JSON: Create and Update replace the stored map (the
 * rollup reads it from there), Delete keeps it, since rollups of past months still need it.
 */
public final class ProductAreaPublisher implements RequestStreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ProductAreaPublisher.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PHYSICAL_ID = "tally-product-area-map";

    private final ProductAreaStore store;

    public ProductAreaPublisher() {
        this(new DynamoDbProductAreaStore(Dependencies.get().dynamo, Dependencies.get().config.table()));
    }

    ProductAreaPublisher(ProductAreaStore store) {
        this.store = store;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JSON.writeValue(output, handle(JSON.readTree(input)));
    }

    ObjectNode handle(JsonNode event) throws IOException {
        String requestType = event.path("RequestType").asText();
        ObjectNode response = JSON.createObjectNode().put("PhysicalResourceId", PHYSICAL_ID);
        if ("Delete".equals(requestType)) {
            LOG.info("custom resource deleted; the stored product area map is kept for past rollups");
            return response;
        }
        if (!"Create".equals(requestType) && !"Update".equals(requestType)) {
            throw new IllegalArgumentException("RequestType must be Create, Update or Delete, was '" + requestType + "'");
        }
        JsonNode areas = event.path("ResourceProperties").path("Areas");
        if (!areas.isTextual()) {
            throw new IllegalArgumentException("ResourceProperties.Areas must be the map file's JSON text");
        }
        ProductAreaMap map = ProductAreaFile.parse(
                new ByteArrayInputStream(areas.asText().getBytes(StandardCharsets.UTF_8)), "ResourceProperties.Areas");
        String version = store.replace(map);
        LOG.info("published product area map version {} with {} entries", version, map.size());
        response.putObject("Data").put("Version", version).put("Entries", map.size());
        return response;
    }
}
