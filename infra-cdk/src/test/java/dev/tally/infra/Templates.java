package dev.tally.infra;

import software.amazon.awscdk.assertions.Template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading a synthesized template as plain maps, for checks across resources (a queue against its consumer). */
final class Templates {
    private Templates() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> resources(Template template, String type) {
        Map<String, Map<String, Object>> all = (Map<String, Map<String, Object>>) template.toJSON().get("Resources");
        Map<String, Map<String, Object>> ofType = new LinkedHashMap<>();
        all.forEach((id, resource) -> {
            if (type.equals(resource.get("Type"))) {
                ofType.put(id, resource);
            }
        });
        return ofType;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> resource(Template template, String logicalId) {
        Map<String, Object> resource = ((Map<String, Map<String, Object>>) template.toJSON().get("Resources")).get(logicalId);
        if (resource == null) {
            throw new AssertionError("no resource " + logicalId);
        }
        return resource;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(Map<String, Object> resource) {
        return (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
    }

    /** The one logical id of a resource of {@code type} whose id starts with {@code prefix} and a hash follows. */
    static String logicalId(Template template, String type, String prefix) {
        List<String> ids = resources(template, type).keySet().stream()
                .filter(id -> id.startsWith(prefix) && id.substring(prefix.length()).matches("[0-9A-F]{8}"))
                .toList();
        if (ids.size() != 1) {
            throw new AssertionError("expected one " + type + " " + prefix + "…, found " + ids);
        }
        return ids.get(0);
    }

    /** The logical id a {@code Ref} or {@code Fn::GetAtt} points at. */
    static String ref(Object value) {
        if (value instanceof Map<?, ?> map && map.get("Ref") != null) {
            return map.get("Ref").toString();
        }
        if (value instanceof Map<?, ?> map && map.get("Fn::GetAtt") instanceof List<?> att) {
            return att.get(0).toString();
        }
        throw new AssertionError("not a reference: " + value);
    }

    /** The statements of the policy whose logical id starts with {@code prefix}, by index. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> statementsOf(Template template, String prefix) {
        String id = logicalId(template, "AWS::IAM::Policy", prefix);
        List<Object> statements = (List<Object>) ((Map<String, Object>) properties(resource(template, id))
                .get("PolicyDocument")).get("Statement");
        Map<String, Object> byIndex = new LinkedHashMap<>();
        for (int i = 0; i < statements.size(); i++) {
            byIndex.put(String.valueOf(i), statements.get(i));
        }
        return byIndex;
    }

    /** Synthesis messages as text (construct path and message), for readable assertion failures. */
    static List<String> messages(List<software.amazon.awscdk.cxapi.SynthesisMessage> messages) {
        return messages.stream().map(m -> m.getId() + ": " + m.getEntry().getData()).toList();
    }

    /**
     * A state machine's definition as JSON text: its {@code DefinitionString}'s {@code Fn::Join} with each reference
     * written {@code <LogicalId>} ({@code Ref} or {@code Fn::GetAtt}; a pseudo parameter such as {@code AWS::Partition}
     * by its name).
     */
    @SuppressWarnings("unchecked")
    static String definition(Template template, String logicalId) {
        Object definition = properties(resource(template, logicalId)).get("DefinitionString");
        if (definition instanceof String text) {
            return text;
        }
        List<Object> join = (List<Object>) ((Map<String, Object>) definition).get("Fn::Join");
        StringBuilder text = new StringBuilder();
        for (Object part : (List<Object>) join.get(1)) {
            text.append(part instanceof String string ? string : "<" + ref(part) + ">");
        }
        return text.toString();
    }

    /** Every IAM policy statement of the template, with the policy's logical id. */
    @SuppressWarnings("unchecked")
    static List<Map.Entry<String, Map<String, Object>>> policyStatements(Template template) {
        List<Map.Entry<String, Map<String, Object>>> all = new ArrayList<>();
        resources(template, "AWS::IAM::Policy").forEach((id, policy) -> {
            Map<String, Object> document = (Map<String, Object>) properties(policy).get("PolicyDocument");
            for (Object statement : (List<Object>) document.get("Statement")) {
                all.add(Map.entry(id, (Map<String, Object>) statement));
            }
        });
        return all;
    }
}
