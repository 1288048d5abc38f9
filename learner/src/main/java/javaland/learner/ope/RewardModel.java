package javaland.learner.ope;

/** A model of the expected reward of playing an arm in a context (the "direct method" part of DR). */
@FunctionalInterface
public interface RewardModel {
  double predict(double[] context, int arm);
}
