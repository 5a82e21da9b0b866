package dev.perennial.serving;

import dev.perennial.serving.ServingProperties.Auth;
import dev.perennial.serving.ServingProperties.Key;
import dev.perennial.serving.ServingProperties.Scope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API keys a model server accepts ({@code perennial.serving.auth.keys}), each kept only as the
 * SHA-256 of its secret. A presented key is hashed and compared with every configured digest in
 * constant time, so neither the comparison nor which key matched shows in the answer's timing.
 *
 * <p>Keys are meant to be random (32+ characters, {@code openssl rand -hex 32}), not passwords: a
 * plain SHA-256 is then as good as a slow hash and costs nothing per request.
 */
final class ApiKeys {
  static final String PREFIX = "perennial.serving.auth";
  static final int MIN_SECRET_CHARS = 32;
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

  /** A configured key: its holder's name, what it may call, the digest of its secret. */
  record Holder(String name, Set<Scope> scopes, byte[] digest) {}

  private final List<Holder> holders;

  private ApiKeys(List<Holder> holders) {
    this.holders = List.copyOf(holders);
  }

  /**
   * The keys of {@code auth}, checked: with authentication enabled at least one key, each with a
   * name of its own, one secret (plain or as its SHA-256) and at least one scope.
   *
   * @throws IllegalStateException naming the property at fault, never showing a secret
   */
  static ApiKeys of(Auth auth) {
    List<Holder> holders = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < auth.keys().size(); i++) {
      Key key = auth.keys().get(i);
      String at = PREFIX + ".keys[" + i + "]";
      if (key.name() == null || !NAME.matcher(key.name()).matches()) {
        throw new IllegalStateException(
            at
                + ".name: required, 1 to 63 lower-case letters, digits, '.', '_' or '-' (it names"
                + " the key in logs and metrics), got "
                + (key.name() == null ? "nothing" : "'" + key.name() + "'"));
      }
      if (!names.add(key.name())) {
        throw new IllegalStateException(at + ".name: '" + key.name() + "' names two keys");
      }
      boolean plain = key.secret() != null && !key.secret().isEmpty();
      boolean hashed = key.sha256() != null && !key.sha256().isEmpty();
      if (plain == hashed) {
        throw new IllegalStateException(
            at
                + ": set exactly one of secret (the key) and sha256 (its SHA-256 in hex) for key '"
                + key.name()
                + "'");
      }
      byte[] digest;
      if (plain) {
        if (key.secret().length() < MIN_SECRET_CHARS) {
          throw new IllegalStateException(
              at
                  + ".secret: key '"
                  + key.name()
                  + "' is shorter than "
                  + MIN_SECRET_CHARS
                  + " characters; make one with `openssl rand -hex 32`");
        }
        digest = sha256(key.secret());
      } else {
        if (!SHA256.matcher(key.sha256()).matches()) {
          throw new IllegalStateException(
              at
                  + ".sha256: key '"
                  + key.name()
                  + "' needs 64 hex digits, the output of `printf %s \"$KEY\" | sha256sum`");
        }
        digest = HexFormat.of().parseHex(key.sha256());
      }
      if (key.scopes() == null || key.scopes().isEmpty()) {
        throw new IllegalStateException(
            at + ".scopes: key '" + key.name() + "' needs predict, feedback or both");
      }
      holders.add(new Holder(key.name(), EnumSet.copyOf(key.scopes()), digest));
    }
    if (auth.enabled() && holders.isEmpty()) {
      throw new IllegalStateException(
          PREFIX
              + ".enabled is true but "
              + PREFIX
              + ".keys is empty: configure at least one key (see docs/operations.md, Security), or"
              + " set "
              + PREFIX
              + ".enabled=false to serve predict and feedback to anyone who can reach the port");
    }
    return new ApiKeys(holders);
  }

  /** The holder of {@code presented}, if it is one of the keys. */
  Optional<Holder> find(String presented) {
    byte[] digest = sha256(presented);
    Holder found = null;
    // Every digest is compared, matched or not: the time taken says nothing about which matched.
    for (Holder holder : holders) {
      if (MessageDigest.isEqual(holder.digest(), digest) && found == null) {
        found = holder;
      }
    }
    return Optional.ofNullable(found);
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
