/** The pyramid UNet: NCSN++ backbone with one input/output branch per pyramid latent. */
package org.pdm.model.unet;
