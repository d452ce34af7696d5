/**
 * The autoencoder's adversarial and perceptual training (latent diffusion's / taming-transformers'
 * {@code LPIPSWithDiscriminator}): {@link org.pdm.model.gan.PatchDiscriminator} (PatchGAN),
 * {@link org.pdm.model.gan.HingeLoss}, {@link org.pdm.model.gan.LpipsLoss} (a user-supplied
 * TorchScript LPIPS) and {@link org.pdm.model.gan.AutoEncoderObjective}, the per-step generator and
 * discriminator updates a training driver calls.
 */
package org.pdm.model.gan;
