package dev.perennial.starter.cli;

import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A trainer's name as {@code --algorithm} takes it. Only its shape is checked here: which trainers
 * exist is for the worker to say, which has the plug-ins.
 */
public final class TrainerName implements ITypeConverter<String> {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  @Override
  public String convert(String value) {
    if (!NAME.matcher(value).matches()) {
      throw new TypeConversionException(
          "'"
              + value
              + "' is not a trainer name (1-64 letters, digits, '_', '.' or '-'): the built-ins"
              + " are GRADIENT_BOOSTING, RANDOM_FOREST, LOGISTIC_REGRESSION, ADABOOST and"
              + " DECISION_TREE, and a worker may have plug-in trainers");
    }
    return value;
  }
}
