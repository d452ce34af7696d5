/**
 * {@code pdm bench eval}: FID's costly parts measured against the Python tools users compare with
 * (scipy's sqrtm, python3-torch on the same TorchScript), in the same run, by bundled scripts.
 */
package org.pdm.eval.fid.bench;
