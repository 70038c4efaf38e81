#include <gtest/gtest.h>

#include "core/crypto.h"

int main(int argc, char** argv) {
  pbgdpl::core::crypto_init();
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
