/**
 * Labelled data: {@link org.pnnedge.models.data.Dataset}, CSV files ({@link org.pnnedge.models.data.CsvDatasets}),
 * normalisation, the Hillenbrand vowels and their synthetic counterpart, MNIST conversion, and where data and the
 * checkout live ({@link org.pnnedge.models.data.SharedData}, {@link org.pnnedge.models.data.Checkout}).
 *
 * <p><b>May import</b> no other models package.
 */
package org.pnnedge.models.data;
