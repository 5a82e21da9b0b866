package dev.perennial.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.serving.ServingProperties.Auth;
import dev.perennial.serving.ServingProperties.Key;
import dev.perennial.serving.ServingProperties.Scope;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The keys' checks at start-up, each naming the property at fault, and the look-up. */
class ApiKeysTest {
  static final String SECRET = "a".repeat(32);
  static final Set<Scope> PREDICT = Set.of(Scope.PREDICT);

  private static ApiKeys of(Key... keys) {
    return ApiKeys.of(new Auth(true, List.of(keys)));
  }

  @Test
  void enabledWithoutKeysIsRefusedNamingTheProperties() {
    assertThatThrownBy(() -> ApiKeys.of(new Auth(true, null)))
        .hasMessage(
            "perennial.serving.auth.enabled is true but perennial.serving.auth.keys is empty:"
                + " configure at least one key (see docs/operations.md, Security), or set"
                + " perennial.serving.auth.enabled=false to serve predict and feedback to anyone"
                + " who can reach the port");
    assertThat(ApiKeys.of(new Auth(false, null)).find(SECRET)).isEmpty();
  }

  @Test
  void eachBadKeyIsRefusedNamingItsProperty() {
    assertThatThrownBy(() -> of(new Key(null, SECRET, null, PREDICT)))
        .hasMessageStartingWith("perennial.serving.auth.keys[0].name: required");
    assertThatThrownBy(() -> of(new Key("Checkout App", SECRET, null, PREDICT)))
        .hasMessageStartingWith("perennial.serving.auth.keys[0].name: required, 1 to 63");
    assertThatThrownBy(
            () ->
                of(
                    new Key("app", SECRET, null, PREDICT),
                    new Key("app", "b".repeat(32), null, PREDICT)))
        .hasMessage("perennial.serving.auth.keys[1].name: 'app' names two keys");
    String digest = HexFormat.of().formatHex(ApiKeys.sha256(SECRET));
    assertThatThrownBy(() -> of(new Key("app", SECRET, digest, PREDICT)))
        .hasMessage(
            "perennial.serving.auth.keys[0]: set exactly one of secret (the key) and sha256 (its"
                + " SHA-256 in hex) for key 'app'");
    assertThatThrownBy(() -> of(new Key("app", null, null, PREDICT)))
        .hasMessageStartingWith("perennial.serving.auth.keys[0]: set exactly one of");
    assertThatThrownBy(() -> of(new Key("app", null, "abc", PREDICT)))
        .hasMessageStartingWith("perennial.serving.auth.keys[0].sha256: key 'app' needs 64 hex");
    assertThatThrownBy(() -> of(new Key("app", SECRET, null, Set.of())))
        .hasMessage(
            "perennial.serving.auth.keys[0].scopes: key 'app' needs predict, feedback or both");
    assertThatThrownBy(() -> of(new Key("app", "x".repeat(31), null, PREDICT)))
        .hasMessageStartingWith("perennial.serving.auth.keys[0].secret: key 'app' is shorter")
        .hasMessageNotContaining("x".repeat(31));
  }

  @Test
  void aKeyIsFoundByItsSecretWhetherConfiguredPlainOrHashed() {
    String other = "b".repeat(40);
    ApiKeys keys =
        of(
            new Key("plain", SECRET, null, PREDICT),
            new Key(
                "hashed",
                null,
                HexFormat.of().formatHex(ApiKeys.sha256(other)).toUpperCase(),
                Set.of(Scope.FEEDBACK, Scope.PREDICT)));
    assertThat(keys.find(SECRET)).hasValueSatisfying(h -> assertThat(h.name()).isEqualTo("plain"));
    assertThat(keys.find(other))
        .hasValueSatisfying(
            h -> {
              assertThat(h.name()).isEqualTo("hashed");
              assertThat(h.scopes()).containsExactlyInAnyOrder(Scope.PREDICT, Scope.FEEDBACK);
            });
    assertThat(keys.find(SECRET + " ")).isEmpty();
    assertThat(keys.find("")).isEmpty();
  }

  @Test
  void aKeyPrintsWithoutItsSecret() {
    assertThat(new Key("app", SECRET, null, PREDICT).toString())
        .isEqualTo("Key[name=app, scopes=[PREDICT]]");
  }
}
