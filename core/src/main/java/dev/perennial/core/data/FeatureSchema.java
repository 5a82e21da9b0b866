package dev.perennial.core.data;

import dev.perennial.core.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A dataset's schema, stored as JSON beside the data ({@code <prefix>_schema.json}):
 *
 * <pre>{@code
 * {"name":"credit-default","label":"default","features":[
 *   {"name":"age","type":"NUMERIC","min":18,"max":100},
 *   {"name":"region","type":"CATEGORICAL","categories":["north","south"],"maxMissingRate":0.0}]}
 * }</pre>
 *
 * <p>CSV files have a header row; the label column holds 0 or 1. Extra columns are ignored.
 *
 * @param name dataset name
 * @param label the binary label column
 * @param features the feature columns, in model input order
 */
public record FeatureSchema(String name, String label, List<FeatureSpec> features) {

  /** Problems that make the schema unusable, each a sentence; empty when fine. */
  public List<String> problems() {
    List<String> p = new ArrayList<>();
    if (label == null || label.isBlank()) {
      p.add("schema: 'label' is required");
    }
    if (features == null || features.isEmpty()) {
      p.add("schema: 'features' must list at least one column");
      return p;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < features.size(); i++) {
      FeatureSpec f = features.get(i);
      String at = "schema: features[" + i + "]";
      if (f == null || f.name() == null || f.name().isBlank()) {
        p.add(at + ".name is required");
        continue;
      }
      if (!seen.add(f.name())) {
        p.add(at + ": duplicate column '" + f.name() + "'");
      }
      if (f.name().equals(label)) {
        p.add(at + ": '" + f.name() + "' is the label and cannot be a feature");
      }
      if (f.type() == null) {
        p.add(at + " ('" + f.name() + "').type must be NUMERIC or CATEGORICAL");
      } else if (f.type() == FeatureType.CATEGORICAL
          && (f.categories() == null || f.categories().isEmpty())) {
        p.add(at + " ('" + f.name() + "'): a CATEGORICAL column needs 'categories'");
      }
      if (f.min() != null && f.max() != null && f.min() > f.max()) {
        p.add(at + " ('" + f.name() + "'): min " + f.min() + " is above max " + f.max());
      }
    }
    return p;
  }

  public FeatureSpec feature(String name) {
    return features.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
  }

  public byte[] toJson() {
    return Json.write(this);
  }

  public static FeatureSchema fromJson(byte[] json) {
    return Json.read(json, FeatureSchema.class);
  }
}
