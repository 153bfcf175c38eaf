// The two documents of the cases capability (B5: filled from the records,
// never typed by hand), registered with the document registry (templates.hpp):
//
//   one_time_notice  一次性告知书 (B6.2), number HUT-GZ-YYYY-NNNNNN: the six parts —
//                    (1) outside the hall's remit, (2) materials required,
//                    (3) application time limit, (4) missing materials,
//                    (5) defective materials and the corrections, (6) reasons for refusal;
//   referral_slip    转介单 (B6.1), number HUT-ZJ-YYYY-NNNNNN: the office and the
//                    specific handler, phone and location, and what to do when
//                    they cannot be reached.
//
// Both are issued only by the cases capability inside its transaction
// (fill = nullptr); the snapshot keys are listed beside each layout.
#pragma once

#include "documents/model.hpp"
#include "documents/templates.hpp"

namespace hall::documents {

DocumentType one_time_notice_type();
DocumentType referral_slip_type();
// Registers both (idempotent).
void register_case_templates();

}  // namespace hall::documents
