#define HELLO_VERSION "1.0.0"
#define HELLO_TAG "1.0"
#include "hello-app.h"
