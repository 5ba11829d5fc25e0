/**
 * Headless PNG charts (java.awt only): training curves, twin scatter plots and confusion matrices.
 *
 * <p><b>May import</b> no other models package.
 */
package org.pnnedge.models.plot;
