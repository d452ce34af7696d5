/**
 * {@code pdm eval recon} (PSNR and Gaussian-window SSIM of an autoencoder on the validation split,
 * across executors) and {@code pdm eval ablation} (the paper's Fig. 7: decoding with one latent level
 * kept or removed, a labelled grid and a PSNR table). {@link org.pdm.eval.recon.ImageMetrics} holds the
 * metrics, apart from Spark and models.
 */
package org.pdm.eval.recon;
