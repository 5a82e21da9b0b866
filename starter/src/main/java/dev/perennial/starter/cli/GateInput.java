package dev.perennial.starter.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.perennial.workflows.gate.GatePolicy;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code --gate} of {@code train}: a {@link GatePolicy} as one JSON object, inline or as
 * {@code @file.json}, with its rules over slices. A field a policy does not have is a usage error,
 * so a typo is not silently dropped; the values are checked with the rest of the request.
 */
final class GateInput implements ITypeConverter<GatePolicy> {
  @Override
  public GatePolicy convert(String value) {
    var node = new PipelineInput.Converter().convert(value);
    try {
      return PipelineInput.JSON
          .copy()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .treeToValue(node, GatePolicy.class);
    } catch (UnrecognizedPropertyException e) {
      throw new TypeConversionException(
          "unknown field '"
              + e.getPropertyName()
              + "' in "
              + e.getPathReference().replace("dev.perennial.workflows.gate.", "")
              + " (known: "
              + String.join(", ", e.getKnownPropertyIds().stream().map(String::valueOf).toList())
              + ")");
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new TypeConversionException(
          "not a gate policy: "
              + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }
  }
}
