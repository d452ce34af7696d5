package org.pdm.train.data;

/**
 * One decoded row: its id and one float array per tensor (an image {@code (3, H, W)} in [-1, 1], or
 * one latent per pyramid level {@code (C_i, H_i, W_i)}, finest first), without the batch axis.
 */
public record Example(String id, float[][] arrays) {}
