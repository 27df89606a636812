package dev.fanout.internal;

import dev.fanout.Environment;
import dev.fanout.GitRef;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The environment as one plan and its run see it: the caller's variables and working folder, and
 * the git ref read at most once, the first time a condition, a tag rule or a backend asks. Reading
 * the ref may run {@code git}, and every part of a plan must agree on which ref the run builds.
 */
final class PlanEnvironment implements Environment {

  private final Environment declared;
  private GitRef ref;

  PlanEnvironment(Environment declared) {
    this.declared = declared;
  }

  @Override
  public Optional<String> get(String name) {
    return declared.get(name);
  }

  @Override
  public Optional<String> value(String name) {
    return declared.value(name);
  }

  @Override
  public boolean isSet(String name) {
    return declared.isSet(name);
  }

  @Override
  public Path workingDirectory() {
    return declared.workingDirectory();
  }

  /** The ref, read from the declared environment on the first call only. */
  @Override
  public synchronized GitRef gitRef() {
    if (ref == null) {
      ref = declared.gitRef();
    }
    return ref;
  }
}
