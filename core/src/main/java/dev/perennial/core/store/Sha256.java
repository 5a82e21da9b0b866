package dev.perennial.core.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests as lower-case hex, the form {@code ObjectRef.sha256} holds. */
public final class Sha256 {
  private Sha256() {}

  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(newDigest().digest(bytes));
  }

  public static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * The SHA-256 of an object's bytes, streamed.
   *
   * @param during what was being done, for the message when the object is gone (e.g. "the snapshot
   *     was taken")
   */
  public static String ofObject(ObjectStore store, String bucket, String key, String during) {
    MessageDigest digest = newDigest();
    try (java.io.InputStream in =
        new java.security.DigestInputStream(store.open(bucket, key), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (ObjectStore.NoSuchObjectException e) {
      throw new ObjectStore.ObjectStoreException(
          "s3://" + bucket + "/" + key + " disappeared while " + during, e);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read s3://" + bucket + "/" + key, e);
    }
    return hex(digest);
  }
}
