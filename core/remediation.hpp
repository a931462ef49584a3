// What a developer must do after a block: Twilio-specific rotation steps per
// credential type, then the steps common to every leak, then how to get the
// credential out of what is staged, committed or pushed.
#pragma once

#include "core/rule.hpp"

#include <span>
#include <string>

namespace tg {

enum class RemediationStage {
  staged,   // pre-commit and file scans: nothing is committed yet
  commits,  // pre-push, pre-receive and history scans: commits hold the credential
};

// The remediation for a block whose findings are of `rules` (any order,
// duplicates allowed). Plain text, lines of at most 100 columns.
std::string remediation_text(std::span<const RuleId> rules, RemediationStage stage);

}  // namespace tg
