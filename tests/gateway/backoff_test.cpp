#include "pilemesh/gateway/backoff.hpp"

#include <gtest/gtest.h>

namespace pilemesh::gateway {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, DoublesUpToTheMaximumAndResets) {
  Backoff b(milliseconds(500), milliseconds(3000));
  EXPECT_EQ(b.next(), milliseconds(500));
  EXPECT_EQ(b.next(), milliseconds(1000));
  EXPECT_EQ(b.next(), milliseconds(2000));
  EXPECT_EQ(b.next(), milliseconds(3000));
  EXPECT_EQ(b.next(), milliseconds(3000));
  b.reset();
  EXPECT_EQ(b.next(), milliseconds(500));
}

TEST(Backoff, AMaximumBelowTheInitialDelayIsRaisedToIt) {
  Backoff b(milliseconds(2000), milliseconds(100));
  EXPECT_EQ(b.next(), milliseconds(2000));
  EXPECT_EQ(b.next(), milliseconds(2000));
}

}  // namespace
}  // namespace pilemesh::gateway
