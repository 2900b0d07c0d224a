#include "state/rate_window.h"

#include <algorithm>

namespace switchyard::state {

void RateWindow::roll(core::Nanos now) {
  const std::int64_t minute = now / kRateWindow;
  if (minute == minute_) return;
  if (minute == minute_ + 1) {
    requests_[1] = requests_[0];
    tokens_[1] = tokens_[0];
  } else {
    requests_[1] = tokens_[1] = 0;
  }
  requests_[0] = tokens_[0] = 0;
  minute_ = minute;
}

void RateWindow::prune(core::Nanos now) {
  while (!admitted_.empty() && admitted_.front() <= now - kRateWindow) admitted_.pop_front();
}

std::int64_t RateWindow::weighted(std::int64_t current, std::int64_t previous, core::Nanos now) {
  const auto into = static_cast<double>(now % kRateWindow) / static_cast<double>(kRateWindow);
  return current + static_cast<std::int64_t>(static_cast<double>(previous) * (1.0 - into));
}

Admission RateWindow::try_admit(const RateLimits& limits, core::Nanos now) {
  roll(now);
  prune(now);
  if (limits.tpm > 0 && weighted(tokens_[0], tokens_[1], now) >= limits.tpm)
    return {false, kRateWindow - now % kRateWindow};  // the next minute drops most of the weight
  if (limits.rpm > 0 && static_cast<std::int64_t>(admitted_.size()) >= limits.rpm)
    return {false, std::max<core::Nanos>(admitted_.front() + kRateWindow - now, 1)};
  note_request(limits, now);
  return {true, 0};
}

void RateWindow::note_request(const RateLimits& limits, core::Nanos now) {
  if (limits.rpm <= 0) return;
  prune(now);
  admitted_.push_back(now);
  while (static_cast<std::int64_t>(admitted_.size()) > limits.rpm) admitted_.pop_front();
}

void RateWindow::add_usage(std::int64_t tokens, core::Nanos now) {
  roll(now);
  ++requests_[0];
  tokens_[0] += std::max<std::int64_t>(tokens, 0);
}

WindowUsage RateWindow::usage(core::Nanos now) const {
  const std::int64_t minute = now / kRateWindow;
  if (minute == minute_) return {weighted(requests_[0], requests_[1], now), weighted(tokens_[0], tokens_[1], now)};
  if (minute == minute_ + 1) return {weighted(0, requests_[0], now), weighted(0, tokens_[0], now)};
  return {};
}

}  // namespace switchyard::state
