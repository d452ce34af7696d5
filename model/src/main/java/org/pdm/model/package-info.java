/**
 * The model library: pyramid autoencoder ({@code autoencoder}), pyramid UNet ({@code unet}),
 * rectified flow and samplers ({@code flow}), training support and checkpoints ({@code train}), built
 * from HOCON configs ({@code config}) on a small module system over DJL arrays ({@code nn}).
 * {@link org.pdm.model.Models#build} turns a config into a network.
 */
package org.pdm.model;
