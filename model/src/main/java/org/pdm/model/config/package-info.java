/**
 * Typed, validated model configurations read from HOCON ({@code conf/model/*.conf}); a bad value stops
 * with a message naming the key ({@code model.levels.channels: has 3 entries but ...}).
 */
package org.pdm.model.config;
