package dev.tally.infra.tagging;

import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.IAspect;
import software.amazon.awscdk.TagManager;
import software.constructs.IConstruct;

import java.util.Set;

/**
 * Fails synthesis for every taggable resource without the product-area tag, or whose tag names an area the areas
 * file does not know: an error annotation on the resource, naming its path (the CLI's synth and
 * {@code TallyApp} stop on errors). Added with {@code AspectPriority.READONLY}, so it sees the tags that the
 * {@code Tags} aspects (mutating) have applied.
 */
public final class TagEnforcement implements IAspect {
    private final String tagKey;
    private final Set<String> knownAreas;

    public TagEnforcement(String tagKey, Set<String> knownAreas) {
        this.tagKey = tagKey;
        this.knownAreas = Set.copyOf(knownAreas);
    }

    @Override
    public void visit(IConstruct node) {
        if (!(node instanceof CfnResource resource)) {
            return;
        }
        TagManager tags = TagManager.of(resource);
        if (tags == null) {
            return;
        }
        String value = tags.tagValues().get(tagKey);
        String path = node.getNode().getPath();
        if (value == null) {
            Annotations.of(node).addError("Tally: " + path + " (" + resource.getCfnResourceType()
                    + ") has no '" + tagKey + "' tag; every taggable resource must name its product area");
        } else if (!knownAreas.contains(value)) {
            Annotations.of(node).addError("Tally: " + path + " (" + resource.getCfnResourceType() + ") has '"
                    + tagKey + "' = '" + value + "', which is no product area of the areas file " + knownAreas);
        }
    }
}
