/**
 * {@code pdm eval fid}: Inception features on the executors, their float64 moments merged with
 * treeAggregate, the Fréchet distance (EJML), KID and precision/recall from the kept features, and
 * numpy {@code .npz} statistics files both ways.
 */
package org.pdm.eval.fid;
