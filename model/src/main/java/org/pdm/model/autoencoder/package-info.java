/**
 * The pyramid autoencoder: light spectrally normalised encoder with input-skip emitting latents at
 * several resolutions, heavy decoder with a branch per latent and output-skip, KL or deterministic
 * bottleneck.
 */
package org.pdm.model.autoencoder;
