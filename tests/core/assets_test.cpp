#include "core/assets.h"

#include <gtest/gtest.h>

namespace pbgdpl::core {
namespace {

TEST(Assets, RegisteredFilesAreFoundByExactNameAndListedByPrefix) {
  register_asset("t_assets/templates/b.html", "<p>b</p>");
  register_asset("t_assets/templates/a.html", "<p>ă</p>");
  register_asset("t_assets/templatesX/c.html", "không thuộc thư mục trên");
  register_asset("t_assets2/x.sql", "SELECT 1;");

  auto a = find_asset("t_assets/templates/a.html");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(*a, "<p>ă</p>");
  EXPECT_FALSE(find_asset("t_assets/templates/a").has_value());
  EXPECT_FALSE(find_asset("t_assets/templates/").has_value());

  EXPECT_EQ(list_assets("t_assets/templates/"),
            (std::vector<std::string>{"t_assets/templates/a.html", "t_assets/templates/b.html"}));
  EXPECT_EQ(list_assets("t_assets/").size(), 3u);
  EXPECT_TRUE(list_assets("t_assets_none/").empty());

  // Registering a name again replaces its bytes (tests rely on it; the build never does it).
  register_asset("t_assets/templates/a.html", "<p>mới</p>");
  EXPECT_EQ(*find_asset("t_assets/templates/a.html"), "<p>mới</p>");
}

}  // namespace
}  // namespace pbgdpl::core
