package dev.perennial.dev.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS front for a plain-text gRPC server on loopback, as a TLS-terminating load balancer in front
 * of Temporal would be: it negotiates HTTP/2 by ALPN, optionally demands a client certificate its
 * authority signed (mutual TLS), and pipes the decrypted bytes to the server. It records each
 * handshake, so a test can tell which client certificates came through and which connections were
 * refused.
 */
public final class TlsTerminator implements AutoCloseable {
  /**
   * One finished or failed handshake.
   *
   * @param client the client certificate's subject, null when none was presented
   * @param failure why the handshake failed, null when it succeeded
   */
  public record Handshake(String client, String failure) {}

  private final SSLServerSocket listener;
  private final int target;
  private final List<Handshake> handshakes = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  private TlsTerminator(SSLServerSocket listener, int target) {
    this.listener = listener;
    this.target = target;
    this.acceptor = Thread.ofVirtual().name("tls-terminator").start(this::accept);
  }

  /**
   * Listens on a free loopback port with {@code serverKeys} (a PKCS#12 store of one key and its
   * chain, password {@link TestCertificates#PASSWORD}) and forwards to {@code targetPort}.
   *
   * @param trustedClients the authorities a client certificate must come from; null to accept
   *     clients without one (TLS, not mutual TLS)
   */
  public static TlsTerminator start(KeyStore serverKeys, KeyStore trustedClients, int targetPort) {
    try {
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(serverKeys, TestCertificates.PASSWORD.toCharArray());
      TrustManagerFactory trust = null;
      if (trustedClients != null) {
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustedClients);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
      SSLServerSocket listener =
          (SSLServerSocket)
              context
                  .getServerSocketFactory()
                  .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
      SSLParameters parameters = listener.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {"h2"});
      parameters.setNeedClientAuth(trustedClients != null);
      listener.setSSLParameters(parameters);
      return new TlsTerminator(listener, targetPort);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code 127.0.0.1:port}, where clients connect. */
  public String target() {
    return "127.0.0.1:" + listener.getLocalPort();
  }

  /** The handshakes so far, in order. */
  public List<Handshake> handshakes() {
    return List.copyOf(handshakes);
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        return;
      }
      open.add(socket);
      Thread.ofVirtual().start(() -> serve((SSLSocket) socket));
    }
  }

  private void serve(SSLSocket client) {
    try {
      client.startHandshake();
      handshakes.add(new Handshake(subject(client), null));
    } catch (IOException e) {
      handshakes.add(new Handshake(null, String.valueOf(e.getMessage())));
      close(client);
      return;
    }
    try {
      Socket server = new Socket();
      open.add(server);
      server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target));
      Thread.ofVirtual().start(() -> pipe(server, client));
      pipe(client, server);
    } catch (IOException e) {
      close(client);
    }
  }

  private static String subject(SSLSocket socket) {
    try {
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0])
          .getSubjectX500Principal()
          .getName();
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  private void pipe(Socket from, Socket to) {
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      byte[] buffer = new byte[1 << 14];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // One side went away: so does the other.
    } finally {
      close(from);
      close(to);
    }
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() throws InterruptedException {
    close(listener);
    acceptor.join();
    open.forEach(TlsTerminator::close);
  }

  private static void close(SSLServerSocket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
