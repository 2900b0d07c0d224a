// A deployment's stable identity: the key of its state (cooldowns, failure window, rpm/tpm
// windows, latency, in-flight), kept across a reload for every id found again, and the name shown
// in x-switchyard-deployment, /metrics and /admin. Never its position in model_list, never a secret
// in clear. The one place ids are derived: change the shape of an id here.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"

namespace switchyard::config {

// "provider/model@where" (where: api_base, or the cloud's location/region/project).
std::string base_deployment_id(const Deployment& d);

// Gives every deployment without model_info.id its id: the base id when no other deployment has
// the same one; else the base id + "#" + 8 hex of a hash of what tells them apart (group, key,
// api_base, api_version, params), so reordering model_list or adding other deployments leaves ids
// unchanged. Entirely identical entries are numbered among themselves ("#<hash>-2").
void assign_deployment_ids(std::vector<Deployment>& deployments);

// A hash (hex) of everything that shapes a call to the deployment: provider, model, api_base,
// api_key, api_version and the other params. Not rpm, tpm, weight, timeout or the group: changing
// those tunes the deployment, it does not make it another one. A reload compares fingerprints of
// an unchanged id to tell "same deployment, new key" apart.
std::string call_fingerprint(const Deployment& d);

}  // namespace switchyard::config
