/**
 * Rectified flow apart from any network: the pyramid loss (eq. 7), latent scaling, and samplers
 * (Euler, adaptive Dormand-Prince RK45) that know only a {@link org.pdm.model.flow.VelocityField}.
 */
package org.pdm.model.flow;
