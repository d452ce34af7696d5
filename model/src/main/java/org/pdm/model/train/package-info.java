/**
 * Training support: {@link org.pdm.model.train.Trainer} (one optimizer step: accumulate, clip, Adam,
 * EMA, in a step scope), {@link org.pdm.model.train.Adam} with savable state, {@link
 * org.pdm.model.train.Ema}, {@link org.pdm.model.train.Checkpoint} (atomic checkpoint directories)
 * and {@link org.pdm.model.train.SafeTensors} (the format, written and read here).
 */
package org.pdm.model.train;
