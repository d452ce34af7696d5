/**
 * Building blocks of the pyramid networks, each a {@link org.pdm.model.nn.Module} with a typed
 * forward: convolution and linear layers with optional spectral norm, GroupNorm, the time embedding,
 * the NCSN++ BigGAN residual block, linear attention (encoder), spatial-channel attention (eq. 8),
 * a ViT block (decoder branch option), the output head (output skip) and the decreasing-dropout
 * schedule. All tensors are NCHW.
 */
package org.pdm.model.blocks;
