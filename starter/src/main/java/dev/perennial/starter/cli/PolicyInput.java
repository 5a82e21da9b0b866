package dev.perennial.starter.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A policy option of {@code train} ({@code --gate}, {@code --canary}): one JSON object, inline or
 * as {@code @file.json}. A field the policy does not have is a usage error, so a typo is not
 * silently dropped; the values are checked with the rest of the request.
 */
abstract class PolicyInput<T> implements ITypeConverter<T> {
  private final Class<T> type;
  private final String what;

  PolicyInput(Class<T> type, String what) {
    this.type = type;
    this.what = what;
  }

  @Override
  public T convert(String value) {
    var node = new PipelineInput.Converter().convert(value);
    try {
      return PipelineInput.JSON
          .copy()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .treeToValue(node, type);
    } catch (UnrecognizedPropertyException e) {
      throw new TypeConversionException(
          "unknown field '"
              + e.getPropertyName()
              + "' in "
              + e.getPathReference().replaceAll("dev\\.perennial\\.workflows\\.[a-z]+\\.", "")
              + " (known: "
              + String.join(", ", e.getKnownPropertyIds().stream().map(String::valueOf).toList())
              + ")");
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new TypeConversionException(
          "not a "
              + what
              + ": "
              + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }
  }
}
