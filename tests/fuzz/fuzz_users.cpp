// libFuzzer target: a users file as `presence-server users import` reads it, merged into a
// directory and looked up the way members are enriched.
#include "imageurlpolicy.h"
#include "userdirectory.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace Presence;
    const auto users = UserDirectory::parseJson(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (!users)
        return 0;
    UserDirectory directory;
    for (User user : users.value()) {
        user.organization = QStringLiteral("org");
        User stored;
        directory.merge(user, &stored);
        (void)ImageUrlPolicy::refusal(user.image);
        (void)directory.affectedBy(user);
    }
    for (const User &user : users.value()) {
        (void)directory.profileFor(user.workosId);
        (void)directory.profileFor(user.email);
    }
    return 0;
}
