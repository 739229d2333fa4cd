// The contracts' entry points, one per transaction type, dispatched by dispatch.cpp.
#pragma once

#include "contract_common.hpp"

namespace pilemesh::ledger::contracts {

// members.cpp
TxResult register_member(const TxContext& c, ServiceState& s);
TxResult attest(const TxContext& c, ServiceState& s);
TxResult reject(const TxContext& c, ServiceState& s);
TxResult suspend(const TxContext& c, ServiceState& s);
TxResult update_profile(const TxContext& c, ServiceState& s);
TxResult set_recovery(const TxContext& c, ServiceState& s);
TxResult recover_account(const TxContext& c, ServiceState& s);
// piles.cpp
TxResult register_pile(const TxContext& c, ServiceState& s);
TxResult update_pile(const TxContext& c, ServiceState& s);
TxResult retire_pile(const TxContext& c, ServiceState& s);
TxResult set_tariff(const TxContext& c, ServiceState& s);
// bookings.cpp
TxResult book(const TxContext& c, ServiceState& s);
TxResult modify_booking(const TxContext& c, ServiceState& s);
TxResult cancel_booking(const TxContext& c, ServiceState& s);
TxResult mark_no_show(const TxContext& c, ServiceState& s);
// sessions.cpp
TxResult start_session(const TxContext& c, ServiceState& s);
TxResult stop_session(const TxContext& c, ServiceState& s);
// ratings.cpp
TxResult rate_session(const TxContext& c, ServiceState& s);
TxResult respond_rating(const TxContext& c, ServiceState& s);
// auctions.cpp
TxResult post_charge_request(const TxContext& c, ServiceState& s);
TxResult bid(const TxContext& c, ServiceState& s);
TxResult close_auction(const TxContext& c, ServiceState& s);
TxResult reveal_decision(const TxContext& c, ServiceState& s);
// payments.cpp
TxResult request_top_up(const TxContext& c, ServiceState& s);
TxResult confirm_top_up(const TxContext& c, ServiceState& s);
TxResult withdraw(const TxContext& c, ServiceState& s);
TxResult settle_debt(const TxContext& c, ServiceState& s);

}  // namespace pilemesh::ledger::contracts
