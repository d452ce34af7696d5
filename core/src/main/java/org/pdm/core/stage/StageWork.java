package org.pdm.core.stage;

/** The body of a stage: writes everything into {@link StageContext#dir()}, a fresh folder. */
@FunctionalInterface
public interface StageWork {
  void write(StageContext context) throws Exception;
}
