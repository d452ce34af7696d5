/**
 * {@code pdm sample} and {@code pdm eval}: samples drawn across executors, Inception features, FID,
 * KID, precision/recall, reconstruction metrics and the Fig. 7 ablation.
 */
package org.pdm.eval;
