/** The in-memory picture every step after decoding shares: 8-bit sRGB, packed ints. */
package org.pdm.preprocess.image;
