package dev.perennial.starter.cli;

import dev.perennial.starter.stack.DevStack;

/**
 * The stack commands on the Temporal dev server and MinIO from infra/local/install-servers.sh:
 * skipped where they are not installed, required in CI.
 */
class InstalledStackCommandsTest extends StackCommands {
  @Override
  DevStack.ServerChoice servers() {
    RealServers.assumeInstalled();
    return DevStack.ServerChoice.INSTALLED;
  }
}
