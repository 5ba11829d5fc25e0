package org.pnnedge.models.bundle;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a model came from, so a result can be reproduced or audited. All fields are optional.
 *
 * @param dataHash        hash of the training data (e.g. {@code sha256:…})
 * @param seed            random seed of the training run
 * @param codeVersion     version (or git commit) of the training code
 * @param trainer         training method, e.g. {@code physics-aware}, {@code in-silico}
 * @param hyperparameters free-form JSON object (learning rate, epochs, …)
 * @param createdBy       person or service that trained the model
 * @param host            machine it was trained on
 */
public record Provenance(String dataHash, Long seed, String codeVersion, String trainer, JsonNode hyperparameters,
                         String createdBy, String host) {
    public Provenance {
        if (hyperparameters != null && hyperparameters.isNull()) {
            hyperparameters = null;
        }
        if (hyperparameters != null && !hyperparameters.isObject()) {
            throw new IllegalArgumentException("hyperparameters must be a JSON object, got "
                    + hyperparameters.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        hyperparameters = hyperparameters == null ? null : hyperparameters.deepCopy();
    }
}
